import Dispatch
import Foundation

/// Reads a child process's standard output and standard error to their ends at the same
/// time (standard error on another thread): read one after the other, a child that
/// fills the pipe read second (64 KiB) blocks, and the first never ends.
public func readToEnd(_ output: Pipe, _ errors: Pipe) -> (output: Data, errors: Data) {
    final class Collected: @unchecked Sendable { var data = Data() }
    let errorData = Collected()
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        errorData.data = errors.fileHandleForReading.readDataToEndOfFile()
        done.signal()
    }
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    done.wait()
    return (outputData, errorData.data)
}
