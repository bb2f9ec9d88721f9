// libFuzzer target for the configuration loader: any bytes as a configuration file.
// Loading must never trap; it either gives a configuration or errors, each naming a line
// and column inside the text. Built by scripts/fuzz-config with -DFUZZING (`main` runs
// libFuzzer's driver); in an ordinary build the target is a stub that says so.

#if FUZZING
    import FuzzDriver
    import Configuration

    /// libFuzzer's entry point: loads `data` as `/nonexistent/extravasd.yaml`; always returns 0.
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzConfiguration(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
        let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
        // Lines as YAML counts them: CR LF, CR, LF, NEL, LS and PS each end one.
        var lines = 1
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n" where previous == "\r": break
            case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": lines += 1
            default: break
            }
            previous = scalar
        }
        do {
            _ = try ConfigurationLoader.load(yaml: text, path: "/nonexistent/extravasd.yaml")
        } catch {
            precondition(!error.issues.isEmpty, "a configuration error without an issue")
            for issue in error.issues {
                // An issue of another file (a catalog the text names) has its own lines.
                guard issue.file == "/nonexistent/extravasd.yaml" else { continue }
                precondition(
                    issue.line >= 0 && issue.line <= lines + 1, "an issue outside the text: \(issue)")
            }
        }
        return 0
    }

    /// The entry point SwiftPM links as `main`: libFuzzer's driver on the target.
    @_cdecl("extravasd_fuzz_config_main")
    public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt
    {
        runLibFuzzer(argc, argv, target: fuzzConfiguration)
    }
#else
    /// In an ordinary build: says how to build the fuzzer.
    @main
    struct ConfigurationFuzzStub {
        static func main() {
            print("extravasd-fuzz-config: build and run it with `make fuzz-config` (libFuzzer).")
        }
    }
#endif
