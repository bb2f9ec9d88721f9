// Free texts the generator draws from.

enum Texts {
    /// Normal findings, often negated sign words, some with escape sequences.
    static let normal: [StaticString] = [
        "Site clean, dry and intact. No redness or swelling.",
        "no redness, denies pain, without swelling or edema",
        "Negative for erythema. Flushes without resistance.",
        "CDI, no erythema, no edema, no tenderness",
        "Dressing clean \\T\\ dry; no swelling",
        "Site WNL.\\.br\\No redness, no swelling, no pain.",
        "Flushed \\T\\ patent, good blood return. No infiltration.",
        "Site without redness or swelling",
        "Pt denies pain at site. No leakage.",
        "Transparent dressing intact\\X0D0A\\No redness noted",
        "IV team note \\F\\ site ok, no redness",
        "See protocol IV\\E\\PIV-04. No erythema.",
        "FLACC 0\\S\\10, no swelling",
        "Site assessed q1h\\.br\\No signs of infiltration or phlebitis",
        "no erythema or edema noted. Pt sleeping comfortably",
        "Infusing well, site intact, negative for erythema",
    ]

    /// Pairs written around a raw LF inside the value.
    static let twoLine: [(StaticString, StaticString)] = [
        ("Dressing changed.", "No redness or swelling."),
        ("Site checked with parent at bedside", "no redness, no swelling"),
        ("Flushed 1 mL NS", "site intact, no edema"),
    ]

    static let mild: [StaticString] = [
        "mild redness at site, no swelling",
        "slight erythema around insertion site",
        "Site tender to touch, no redness",
        "Pt grimaces on flush, site painful",
        "faint redness along vein, pt denies pain",
    ]

    static let moderate: [StaticString] = [
        "red and swollen, pt crying",
        "Erythema noted around insertion site, tender to touch",
        "Redness 2 cm above site\\.br\\Swelling noted. MD notified.",
        "Site puffy and red, pt crying with flush",
        "Edematous and erythematous around site \\T\\ tender",
    ]

    static let severe: [StaticString] = [
        "blanched, cool to touch",
        "leaking at site, wet dressing",
        "Site swollen, firm and cool. Infusion stopped, IV team notified.",
        "blister noted at insertion site, skin blanched",
        "indurated area 3 cm, pale and cold",
        "Skin dusky with necrotic area at site",
    ]

    static let removal: [StaticString] = [
        "PIV removed, catheter intact, pressure applied.",
        "Line removed per protocol \\T\\ site cleaned",
        "IV removed at parent request, tip intact",
        "Catheter discontinued, gauze applied",
    ]

    static let removalForSigns: [StaticString] = [
        "IV removed due to redness and swelling",
        "PIV pulled for infiltration, limb elevated",
        "Catheter removed, site red, warm compress declined per protocol",
    ]

    static let postRemovalNormal: [StaticString] = [
        "Old PIV site healing, no redness",
        "former IV site: no swelling, no drainage",
        "Previous site clean and dry",
    ]

    static let calcinosis: [StaticString] = [
        "white-yellow papule at old IV site",
        "chalky nodule noted at former PIV site",
        "nodular plaque at old site, ? calcinosis",
        "X-ray: radio-opaque deposits in soft tissue at prior IV site",
    ]

    static let healed: [StaticString] = [
        "Old IV site healed, skin intact",
        "former PIV site: no redness, no swelling",
    ]

    static let nursingNotes: [StaticString] = [
        "Parent at bedside, updated on plan of care.",
        "Line flushed with 1 mL NS q6h per protocol",
        "IV team consulted for difficult access",
        "Site photographed \\T\\ uploaded to media tab",
        "Splint and armboard in place",
    ]

    static let pharmacyNotes: [StaticString] = [
        "Pharmacist verified dose \\T\\ compatibility",
        "Peripheral administration: monitor site q1h",
        "Central line preferred. Do not mix with phosphate.",
        "Dose adjusted for renal function",
    ]

    static let labNotes: [StaticString] = [
        "Specimen slightly hemolyzed, interpret K with caution",
        "Results called to RN and read back",
        "Critical value notified to MD at bedside",
    ]

    static let races: [StaticString] = [
        "2106-3^White^CDCREC", "2054-5^Black or African American^CDCREC", "2028-9^Asian^CDCREC",
        "2131-1^Other Race^CDCREC", "1002-5^American Indian or Alaska Native^CDCREC",
    ]

    static let allergies: [StaticString] = [
        "DA|^NKA^No known allergies", "DA|70618^Penicillin^RXNORM|MO|Hives",
        "DA|2670^Codeine^RXNORM|MI|Nausea", "FA|LATEX^Latex^L|SV|Anaphylaxis",
        "DA|10180^Sulfamethoxazole^RXNORM|MO|Rash", "FA|^Peanut|SV|Anaphylaxis",
    ]

    static let diagnoses: [StaticString] = [
        "N17.9^Acute kidney failure, unspecified^I10", "P07.35^Preterm newborn, gestational age 32 weeks^I10",
        "E83.51^Hypocalcemia^I10", "A41.9^Sepsis, unspecified organism^I10",
        "J18.9^Pneumonia, unspecified organism^I10", "N18.6^End stage renal disease^I10",
        "P59.9^Neonatal jaundice, unspecified^I10", "K56.7^Ileus, unspecified^I10",
    ]

    /// Indexes into `diagnoses` plausible for each age group.
    static let diagnosesByGroup: [[Int]] = [
        [1, 2, 3, 6], [0, 2, 3, 4, 7], [0, 3, 4, 7], [0, 2, 3, 4, 5, 7],
    ]

    static let facilityNames: [StaticString] = [
        "Children's Medical Center", "Main Hospital", "North Campus",
    ]
}
