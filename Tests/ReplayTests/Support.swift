import Configuration
import Foundation
import HL7
import Surveillance

/// A fresh directory under the system's temporary directory, removed by ``remove()``.
struct ScratchDirectory {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "extravasd-replay-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        path = String(cString: created)
    }

    /// Writes `bytes` to `name` in the directory; returns its path.
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// Writes `text` to `name` in the directory; returns its path.
    func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// The engine's settings with the bundled catalogs (UTC).
let bundledSettings = SurveillanceSettings(catalog: ConfigurationLoader.builtInDefaults().catalog)

/// A message of type `ADT^A01` with control id `id` and MSH-7 `time`.
func message(_ id: String, at time: String) -> String {
    "MSH|^~\\&|A|H|||\(time)||ADT^A01|\(id)|P|2.5\rPID|1||4455^^^H^MR\r"
}
