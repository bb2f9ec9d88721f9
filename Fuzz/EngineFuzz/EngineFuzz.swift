// libFuzzer target for the surveillance engine, structure-aware: valid feedgen messages
// (an admission, calcium orders, administrations, IV-site assessments with signs) are
// mutated field by field by the fuzzer's bytes, then run through a fresh engine twice.
// The engine must never trap, and the two runs must raise the same alerts (the engine is
// a pure function of its messages). Built by scripts/fuzz-engine with -DFUZZING
// (`main` runs libFuzzer's driver); in an ordinary build the target is a stub that says so.

#if FUZZING
    import FuzzDriver
    import ClinicalEvents
    import Configuration
    import FeedGen
    import HL7
    import Signs
    import Sites
    import Surveillance

    /// The messages every input starts from: feedgen seed 11, one patient in three with
    /// signs, 60 messages, each as its bytes (segments ended by CR).
    let baseMessages: [[UInt8]] = {
        let feed = FeedGenerator.feed(
            options: FeedOptions(seed: 11, patients: 3, terminator: .cr, signShare: 0.5), messageCount: 60)
        var messages: [[UInt8]] = []
        var start = 0
        var index = 3
        while index + 3 < feed.count {
            if feed[index] == 0x4D && feed[index + 1] == 0x53 && feed[index + 2] == 0x48
                && feed[index - 1] == 0x0D
            {
                messages.append(Array(feed[start..<index]))
                start = index
            }
            index += 1
        }
        messages.append(Array(feed[start...]))
        return messages
    }()

    /// The engine's settings of the built-in configuration (bundled catalogs, UTC).
    let settings: SurveillanceSettings = {
        let configuration = ConfigurationLoader.builtInDefaults()
        return SurveillanceSettings(
            catalog: configuration.catalog,
            sites: SiteNormalizer(vocabulary: configuration.siteVocabulary),
            signs: SignRecognizer(vocabulary: configuration.signVocabulary),
            times: TimeReader(zone: FixedOffsetZone()),
            lateWatchDays: configuration.watch.lateWindowDays,
            labLookbackDays: configuration.labs.lookbackDays,
            calciumPhosphateWindowHours: configuration.labs.calciumPhosphateWindowHours,
            labCodes: LabCodes(creatinine: [], phosphate: [], calcium: [], ionizedCalcium: []),
            identityKey: nil,
            clockMaxJumpSeconds: Int64(configuration.clock.maxJumpSeconds))
    }()

    /// The messages an input makes: the base messages, with each 4-byte edit
    /// (message, segment, field, length) replacing that field of that message by the next
    /// `length` bytes; an edit whose message byte is odd also repeats the message at the end.
    func messages(from input: UnsafeRawBufferPointer) -> [[UInt8]] {
        var messages = baseMessages
        var position = 0
        while position + 4 <= input.count {
            let target = Int(input[position]) % messages.count
            let segmentIndex = Int(input[position + 1])
            let fieldIndex = Int(input[position + 2]) % 24
            let length = min(Int(input[position + 3]) % 64, input.count - position - 4)
            let replacement = Array(input[(position + 4)..<(position + 4 + length)])
            position += 4 + length
            var segments = messages[target].split(separator: 0x0D, omittingEmptySubsequences: false).map(
                Array.init)
            guard !segments.isEmpty else { continue }
            let segment = segmentIndex % segments.count
            var fields = segments[segment].split(separator: 0x7C, omittingEmptySubsequences: false).map(
                Array.init)
            if fieldIndex < fields.count {
                fields[fieldIndex] = replacement
            } else {
                fields.append(replacement)
            }
            segments[segment] = Array(fields.joined(separator: [0x7C]))
            messages[target] = Array(segments.joined(separator: [0x0D]))
            if input[position - 4 - length] & 1 == 1 { messages.append(messages[target]) }
        }
        return messages
    }

    /// The alert ids (with kind and severity) of one run of a fresh engine over `messages`.
    func run(_ messages: [[UInt8]]) -> [String] {
        var engine = SurveillanceEngine(settings: settings)
        var alerts: [String] = []
        for (offset, bytes) in messages.enumerated() {
            guard let message = try? Message(bytes: bytes) else { continue }
            if case .processed(let raised) = engine.process(
                message, source: .file("fuzz.hl7", offset: offset))
            {
                alerts += raised.map { "\($0.id) \($0.kind) \($0.severity)" }
            }
        }
        return alerts
    }

    /// libFuzzer's entry point (see above); always returns 0.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzEngine(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
        let built = messages(from: UnsafeRawBufferPointer(start: data, count: size))
        let first = run(built)
        let second = run(built)
        precondition(first == second, "the same messages raised different alerts")
        return 0
    }

    /// The entry point SwiftPM links as `main`: libFuzzer's driver on the target.
    @_cdecl("extravasd_fuzz_engine_main")
    public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt
    {
        runLibFuzzer(argc, argv, target: fuzzEngine)
    }
#else
    /// In an ordinary build: says how to build the fuzzer.
    @main
    struct EngineFuzzStub {
        static func main() {
            print("extravasd-fuzz-engine: build and run it with `make fuzz-engine` (libFuzzer).")
        }
    }
#endif
