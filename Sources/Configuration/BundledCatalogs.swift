/// The catalogs compiled into extravasd (never read from the build folder at run time).
///
/// Each text is, byte for byte, the file of the same name in the repository's
/// `config/` folder, where pharmacists read and edit it; a test fails when the two
/// differ, so an edit of `config/` must be copied here (and the reverse).
public enum BundledCatalogs {
    /// The file name of the calcium catalog, as issues in it are reported.
    public static let calciumFileName = "catalog-calcium.yaml"
    /// The file name of the vesicant catalog, as issues in it are reported.
    public static let vesicantsFileName = "catalog-vesicants.yaml"

    /// `config/catalog-calcium.yaml`: calcium salts, parenteral nutrition with calcium,
    /// the Ringer's solutions. Enabled unless `default_catalogs: false`.
    public static let calciumYAML = #"""
        # extravasd drug catalog: calcium-containing infusions (bundled, enabled by default)
        #
        # For pharmacists. Each entry below is one drug, or one family of products, whose
        # extravasation extravasd watches for. An order or administration matches an entry
        # by code or by name; the catheter site it runs into is then watched, and a nursing
        # note of erythema, swelling, pain, ... at that site raises an alert at once.
        #
        # This file is compiled into extravasd: editing it here changes the next build, not a
        # running installation. To change the catalog of an installation, write your own
        # catalog file (same format) and name it under `catalogs:` in extravasd.yaml; an entry
        # there with the same `id` as an entry below replaces it, other entries are added.
        #
        # Keys of an entry:
        #   id                  stable kebab-case name (lower-case letters, digits, '-'); required
        #   name                the name shown in alerts and reports; required
        #   risk                high | moderate | low; required. Severity of alerts follows it.
        #   watch_window_hours  hours a site stays watched after the infusion ends; when left
        #                       out, `watch.window_hours` of extravasd.yaml applies (72)
        #   calcium_entry       true for calcium-containing products: their sites are also
        #                       watched for calcinosis cutis (the late watch, 42 days); default false
        #   calcium_salt        true for calcium salts: a salt among an order's RXC components
        #                       makes an order match it, when the order's own give code matches
        #                       nothing (a compounded "D5W 100 mL + calcium gluconate 1 g");
        #                       default false
        #   codes               list of {system, code}: RXNORM, NDC, or your pharmacy system's
        #                       local codes. The code is compared exactly, the system ignoring
        #                       case; a message that sends no coding system matches any system.
        #                       The LOCAL codes below are placeholders: replace them with your
        #                       formulary's codes.
        #   names               name patterns over the drug text of RXE-2 / RXO-1 / RXA-5 (and
        #                       RXC-2 for components). A pattern is one or more words that must
        #                       appear together, in that order, anywhere in the name. Case does
        #                       not matter; whole words only ("lr" never matches "BLR");
        #                       apostrophes are ignored ("ringer's" = "ringers"); "10%" is the
        #                       words "10" and "%"; '*' inside a word matches the rest of that
        #                       word ("ringer*" matches "Ringers"). Not regular expressions.
        #   requires_component  list: the entry matches only when one of the order's RXC
        #                       components matches one of these entry ids, or "calcium-salt"
        #                       (any entry with calcium_salt: true)

        entries:
          # Calcium chloride: three times the calcium of the gluconate per mL, very
          # hyperosmolar; the most damaging calcium salt when it leaks.
          - id: calcium-chloride
            name: Calcium chloride
            risk: high
            calcium_entry: true
            calcium_salt: true
            codes:
              - {system: LOCAL, code: calcium-chloride}
            names:
              - calcium chloride
              - ca chloride
              - calciumchlorid*
              - cacl2
              - cacl

          # Calcium gluconate: the salt of the seed case (a 17-month-old, left heel).
          - id: calcium-gluconate
            name: Calcium gluconate
            risk: high
            calcium_entry: true
            calcium_salt: true
            codes:
              - {system: LOCAL, code: calcium-gluconate}
            names:
              - calcium gluconate
              - ca gluconate
              - calcium gluc
              - ca gluc
              - calciumgluconat*
              - gluconato de calcio

          - id: calcium-gluceptate
            name: Calcium gluceptate
            risk: high
            calcium_entry: true
            calcium_salt: true
            codes:
              - {system: LOCAL, code: calcium-gluceptate}
            names:
              - calcium gluceptate
              - ca gluceptate
              - calcium glucoheptonate

          - id: calcium-lactate
            name: Calcium lactate
            risk: high
            calcium_entry: true
            calcium_salt: true
            codes:
              - {system: LOCAL, code: calcium-lactate}
            names:
              - calcium lactate
              - ca lactate

          # Parenteral nutrition: watched only when a calcium salt is among the order's RXC
          # components (the additives of the bag). A PN order without calcium matches nothing.
          # Premixed commercial bags that already contain calcium (and send no RXC calcium
          # component) need an entry of their own without requires_component.
          - id: parenteral-nutrition
            name: Parenteral nutrition with calcium
            risk: moderate
            calcium_entry: true
            codes:
              - {system: LOCAL, code: parenteral-nutrition}
            names:
              - pn
              - tpn
              - ppn
              - parenteral nutrition
              - hyperalimentation
            requires_component: [calcium-salt]

          # Lactated Ringer's (Hartmann's solution, compound sodium lactate): a little calcium
          # (about 1.4 mmol/L); an irritant, not a calcium entry (no late calcinosis watch).
          - id: lactated-ringers
            name: Lactated Ringer's
            risk: low
            calcium_entry: false
            codes:
              - {system: LOCAL, code: lactated-ringers}
            names:
              - lactated ringer
              - lactated ringers
              - ringer lactate
              - ringers lactate
              - lr
              - d5lr
              - hartmann
              - hartmanns
              - compound sodium lactate
              - sodium lactate compound

          # Ringer's solution (plain or acetated): calcium chloride among its salts; low risk.
          - id: ringers-solution
            name: Ringer's solution
            risk: low
            calcium_entry: false
            codes:
              - {system: LOCAL, code: ringers-solution}
            names:
              - ringer
              - ringers

        """#

    /// `config/catalog-vesicants.yaml`: vasopressors, concentrated electrolytes and
    /// dextrose, contrast, and other vesicants. Enabled by `vesicant_catalog: true`.
    public static let vesicantsYAML = #"""
        # extravasd drug catalog: other common vesicants and irritants (bundled, disabled by
        # default; `vesicant_catalog: true` in extravasd.yaml enables it)
        #
        # For pharmacists. The same mechanism that watches calcium infusions works for any
        # drug that harms tissue when it leaks; this catalog lists the usual ones. Entries
        # here are not calcium entries: their sites get the acute watch, never the late
        # calcinosis watch.
        #
        # This file is compiled into extravasd: editing it here changes the next build, not a
        # running installation. To adjust an installation, write your own catalog file and
        # name it under `catalogs:` in extravasd.yaml; an entry there with the same `id`
        # replaces the one below.
        #
        # The keys of an entry are explained at the top of catalog-calcium.yaml. In short:
        # id, name, risk (high | moderate | low), watch_window_hours (default:
        # `watch.window_hours`, 72), calcium_entry, calcium_salt, codes [{system, code}],
        # names [patterns: whole words, case-insensitive, '*' inside a word], and
        # requires_component.
        #
        # Names match the drug text only: a pattern cannot read a concentration. Potassium
        # chloride is listed as high risk for its concentrates; dilute maintenance fluids
        # with KCl match it too. Dextrose matches only the strengths written (10% and above).
        # RXNORM codes are ingredient codes; LOCAL codes are placeholders for your own.

        entries:
          # Vasopressors: intense vasoconstriction, ischemic necrosis of the skin.
          - id: norepinephrine
            name: Norepinephrine
            risk: high
            codes:
              - {system: RXNORM, code: "7512"}
            names:
              - norepinephrine
              - noradrenaline
              - norepi
              - levophed

          - id: epinephrine
            name: Epinephrine
            risk: high
            codes:
              - {system: RXNORM, code: "3992"}
            names:
              - epinephrine
              - adrenaline

          - id: dopamine
            name: Dopamine
            risk: high
            codes:
              - {system: RXNORM, code: "3628"}
            names:
              - dopamine
              - intropin

          - id: vasopressin
            name: Vasopressin
            risk: high
            codes:
              - {system: RXNORM, code: "11149"}
            names:
              - vasopressin
              - vasostrict
              - pitressin

          - id: phenylephrine
            name: Phenylephrine
            risk: high
            codes:
              - {system: RXNORM, code: "8163"}
            names:
              - phenylephrine
              - neosynephrine
              - neo synephrine

          - id: dobutamine
            name: Dobutamine
            risk: moderate
            codes:
              - {system: RXNORM, code: "3616"}
            names:
              - dobutamine

          # Electrolyte concentrates.
          - id: potassium-chloride
            name: Potassium chloride (concentrate)
            risk: high
            codes:
              - {system: RXNORM, code: "8591"}
            names:
              - potassium chloride
              - k chloride
              - kcl

          - id: sodium-bicarbonate
            name: Sodium bicarbonate
            risk: moderate
            codes:
              - {system: RXNORM, code: "36676"}
            names:
              - sodium bicarbonate
              - sodium bicarb
              - na bicarb
              - nahco3
              - bicarbonate
              - bicarb

          - id: hypertonic-saline
            name: Hypertonic sodium chloride (3% and above)
            risk: moderate
            codes:
              - {system: LOCAL, code: hypertonic-saline}
            names:
              - hypertonic saline
              - sodium chloride 3%
              - sodium chloride 5%
              - sodium chloride 7%
              - sodium chloride 23.4%
              - nacl 3%
              - nacl 5%
              - nacl 23.4%
              - 3% saline
              - 3% nacl
              - 23.4% nacl

          # Dextrose 10% and above (hyperosmolar). D5W is not listed.
          - id: dextrose-concentrated
            name: Dextrose 10% or more
            risk: moderate
            codes:
              - {system: LOCAL, code: dextrose-concentrated}
            names:
              - d10*
              - d12.5*
              - d15*
              - d20*
              - d25*
              - d30*
              - d40*
              - d50*
              - d70*
              - dextrose 10%
              - dextrose 12.5%
              - dextrose 15%
              - dextrose 20%
              - dextrose 25%
              - dextrose 30%
              - dextrose 40%
              - dextrose 50%
              - dextrose 70%
              - 10% dextrose
              - 20% dextrose
              - 25% dextrose
              - 50% dextrose
              - glucose 10%
              - glucose 20%
              - glucose 50%

          - id: mannitol
            name: Mannitol
            risk: moderate
            codes:
              - {system: RXNORM, code: "6628"}
            names:
              - mannitol
              - osmitrol

          # Radiographic contrast media.
          - id: contrast-media
            name: Iodinated contrast
            risk: moderate
            codes:
              - {system: LOCAL, code: contrast-media}
            names:
              - contrast
              - iohexol
              - omnipaque
              - iopamidol
              - isovue
              - iodixanol
              - visipaque
              - ioversol
              - optiray
              - iopromide
              - ultravist

          # Other drugs that damage tissue when they leak.
          - id: phenytoin
            name: Phenytoin
            risk: high
            codes:
              - {system: RXNORM, code: "8183"}
            names:
              - phenytoin
              - dilantin

          - id: promethazine
            name: Promethazine
            risk: high
            codes:
              - {system: RXNORM, code: "8745"}
            names:
              - promethazine
              - phenergan

          - id: amiodarone
            name: Amiodarone
            risk: moderate
            codes:
              - {system: RXNORM, code: "703"}
            names:
              - amiodarone
              - nexterone
              - cordarone

          - id: acyclovir
            name: Acyclovir
            risk: moderate
            codes:
              - {system: RXNORM, code: "281"}
            names:
              - acyclovir
              - aciclovir
              - zovirax

          - id: nafcillin
            name: Nafcillin
            risk: moderate
            codes:
              - {system: RXNORM, code: "7233"}
            names:
              - nafcillin

          - id: vancomycin
            name: Vancomycin
            risk: low
            codes:
              - {system: RXNORM, code: "11124"}
            names:
              - vancomycin
              - vancocin
              - vanco

          # Vesicant chemotherapy (usually given centrally; a peripheral leak is an emergency).
          - id: vesicant-chemotherapy
            name: Vesicant chemotherapy
            risk: high
            codes:
              - {system: RXNORM, code: "3639"}
              - {system: RXNORM, code: "11202"}
            names:
              - doxorubicin
              - daunorubicin
              - epirubicin
              - idarubicin
              - vincristine
              - vinblastine
              - vinorelbine
              - mechlorethamine
              - dactinomycin
              - mitomycin

        """#
}
