import Configuration
import Foundation
import Signs
import Testing

/// `signs.context_file`: the negations, hypothetical contexts, look-alike phrases and
/// negations and clause-break words as configuration; `config/sign-context.yaml`
/// writes out the defaults.
@Suite("Sign context file")
struct SignContextFileTests {
    @Test func theBundledSignContextFileIsExactlyTheBuiltInDefault() throws {
        let configuration = try load(
            "signs:\n  context_file: \(repositoryConfigFolder)/sign-context.yaml\n",
            path: repositoryConfigFolder + "/extravasd.yaml")
        #expect(configuration.signs.context == SignContext.standard)
        #expect(configuration.signs.contextFile == repositoryConfigFolder + "/sign-context.yaml")
        #expect(ConfigurationLoader.builtInDefaults().signs.context == SignContext.standard)
        #expect(ConfigurationLoader.builtInDefaults().signs.contextFile == nil)
    }

    @Test func theDefaultListsHaveOneMeaningPerPhrase() {
        var seen: [String: String] = [:]
        for (key, phrases) in SignContext.standard.lists {
            for phrase in phrases {
                let form = SignContext.matchedForm(of: phrase)
                #expect(!form.isEmpty, "\(phrase)")
                #expect(seen[form] == nil, "\(phrase) in \(key) and \(seen[form] ?? "")")
                seen[form] = key
                #expect(!SignVocabulary.standard.namesSignOrFinding(phrase: phrase), "\(phrase)")
            }
        }
        for phrase in ["monitor for", "observe for", "at risk of", "educated on"] {
            #expect(SignContext.standard.hypotheticalContexts.contains(phrase), "\(phrase)")
        }
    }

    @Test func aContextFileReplacesTheListsItWritesAndKeepsTheOthers() throws {
        let folder = try TemporaryFolder()
        try folder.write(
            "fr.yaml",
            """
            # French negations
            negations_before: ["pas de", "sans"]
            hypothetical_contexts:
              - surveiller
            clause_break_words: [mais]
            look_alike_negations:
            """)
        let path = try folder.write(
            "extravasd.yaml", "signs:\n  context_file: fr.yaml\n  words: {rougeur: erythema}\n")
        let configuration = try ConfigurationLoader.load(path: path)
        #expect(configuration.signs.contextFile == folder.path + "/fr.yaml")
        #expect(configuration.signs.context.negationsBefore == ["pas de", "sans"])
        #expect(configuration.signs.context.hypotheticalContexts == ["surveiller"])
        #expect(configuration.signs.context.clauseBreakWords == ["mais"])
        #expect(configuration.signs.context.lookAlikeNegations == [])
        #expect(configuration.signs.context.lookAlikePhrases == SignContext.standard.lookAlikePhrases)
        let reader = SignRecognizer(vocabulary: configuration.signVocabulary)
        #expect(reader.signs(inText: "pas de rougeur").isEmpty)
        #expect(reader.signs(inText: "sans rougeur mais red") == [.erythema])
        #expect(reader.signs(inText: "surveiller rougeur, red").isEmpty)
        #expect(reader.signs(inText: "no redness") == [.erythema], "the English negations are replaced")
        #expect(reader.signs(inText: "redness resolved").isEmpty, "negations_after keeps its default")
    }

    @Test func contextFileProblemsAreReportedAtTheirFileLineAndColumn() throws {
        let folder = try TemporaryFolder()
        let context = try folder.write(
            "context.yaml",
            """
            negations_before: ["no", "--", "sans"]
            hypothetical_contexts: ["no"]
            look_alike_phrases: [red]
            look_alike_negation: ["no change"]
            clause_break_words: mais
            negations_after: ["sans"]
            """)
        let path = try folder.write("extravasd.yaml", "signs:\n  context_file: context.yaml\n")
        let found = issues(path: path)
        #expect(found.allSatisfy { $0.file == context })
        #expect(found.map { "\($0.line):\($0.column)" } == ["1:26", "2:25", "3:22", "4:1", "5:21", "6:19"])
        #expect(found[0].reason.contains("no letters or digits"))
        #expect(found[1].reason.contains("already listed in 'negations_before'"))
        #expect(found[2].reason.contains("sign or finding word"))
        #expect(found[3].reason.contains("did you mean 'look_alike_negations'?"))
        #expect(found[4].code == .wrongType)
        #expect(found[5].code == .conflict)
        #expect(found.first?.description.hasPrefix("\(context):1:26: error: ") == true)
    }

    @Test func aPhraseThatADefaultListKeepsIsAConflict() throws {
        let folder = try TemporaryFolder()
        let context = try folder.write("context.yaml", "negations_before: [\"no\", \"no change\"]\n")
        let path = try folder.write("extravasd.yaml", "signs:\n  context_file: context.yaml\n")
        let found = issues(path: path)
        #expect(found.map { "\($0.file):\($0.line):\($0.column)" } == ["\(context):1:26"])
        #expect(found.first?.reason.contains("default 'look_alike_negations'") == true)
    }

    @Test func anUnreadableContextFileIsAnErrorAtTheKey() {
        let found = issues(yaml: "signs:\n  context_file: /nonexistent/sign-context.yaml\n")
        #expect(found.map { "\($0.line):\($0.column)" } == ["2:17"])
        #expect(found.first?.code == .unreadableFile)
        #expect(issues(yaml: "signs:\n  context_file: \"  \"\n").first?.code == .invalidValue)
        #expect(issues(yaml: "signs:\n  context_file: [a]\n").first?.code == .wrongType)
    }

    @Test func theExampleFileDocumentsTheContextFileKey() throws {
        let text = try String(
            contentsOfFile: repositoryConfigFolder + "/extravasd.example.yaml", encoding: .utf8)
        #expect(text.contains("context_file:"))
        let readme = try String(
            contentsOfFile: repositoryConfigFolder + "/../README.md", encoding: .utf8)
        for key in SignContext.standard.lists.map(\.key) + ["signs.context_file"] {
            #expect(readme.contains(key), "\(key)")
        }
    }
}
