// The libFuzzer driver of the SwiftPM fuzz targets (Fuzz/EngineFuzz, Fuzz/ConfigurationFuzz).
// SwiftPM links an executable's entry point as `<module>_main` (so that tests can link
// executables), so libFuzzer's own `main` is not the one linked: each target's entry
// point calls ``runLibFuzzer(_:_:target:)``. Only in fuzz builds (-DFUZZING), which link
// libFuzzer (-sanitize=fuzzer); an ordinary build compiles nothing here.

#if FUZZING
    /// libFuzzer's driver.
    @_silgen_name("LLVMFuzzerRunDriver")
    private func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    /// The process's one fuzz target (a C callback cannot capture it).
    nonisolated(unsafe) private var fuzzTarget: ((UnsafePointer<UInt8>, Int) -> CInt)?

    /// Runs libFuzzer with the process's arguments on `target`; its exit status.
    public func runLibFuzzer(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
        target: @escaping (UnsafePointer<UInt8>, Int) -> CInt
    ) -> CInt {
        fuzzTarget = target
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
            guard let data, let target = fuzzTarget else { return 0 }
            return target(data, size)
        }
    }
#endif
