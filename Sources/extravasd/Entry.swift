import ExtravasdCommands
import Glibc

/// The `extravasd` executable: everything lives in `ExtravasdCommands`.
@main
enum Entry {
    static func main() async {
        // A reader that goes away (`extravasd replay big.hl7 | head -1`, a closed stderr
        // pipe) is an EPIPE for `StandardStreams` to handle, never a signal that kills the
        // process; SwiftNIO (the MLLP listener) sets the same process-wide.
        signal(SIGPIPE, SIG_IGN)
        await Extravasd.main()
    }
}
