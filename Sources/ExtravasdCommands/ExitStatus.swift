import ArgumentParser

/// The process exit statuses of extravasd (sysexits), mapped from errors only here,
/// in the executable's command layer.
public enum ExitStatus {
    /// 0: success.
    public static let success = ExitCode(0)
    /// 1: a runtime failure.
    public static let failure = ExitCode(1)
    /// 64: a usage error (the argument parser's default).
    public static let usage = ExitCode(64)
    /// 65: bad data named on the command line (an unknown alert id).
    public static let dataError = ExitCode(65)
    /// 66: an input file cannot be read.
    public static let noInput = ExitCode(66)
    /// 78: a configuration error.
    public static let configuration = ExitCode(78)
}
