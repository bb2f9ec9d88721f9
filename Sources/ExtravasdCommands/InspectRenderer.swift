import HL7
import JSONOutput

/// Renders parsed messages the way `extravasd inspect` prints them.
public enum InspectRenderer {
    /// One JSON line (with its newline) for a message, as DESIGN.md section 2 fixes it:
    /// `{"offset": N, "segments": [["MSH", "|", "^~\\&", f3, ...], ...]}`, each field an
    /// array of repetitions of components of decoded subcomponent strings.
    public static func jsonLine(_ message: Message) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("offset")
        writer.int(message.offset)
        writer.key("segments")
        writer.beginArray()
        var scratch: [UInt8] = []
        for segment in message.segments {
            writer.beginArray()
            writer.string(segment.id.description)
            for number in 1...max(1, segment.fieldCount) where number <= segment.fieldCount {
                let field = segment[number]
                if field.isLiteral {
                    writer.utf8String(HL7Text.string(field.rawBytes).utf8)
                    continue
                }
                writer.beginArray()
                for repetition in field.repetitions {
                    writer.beginArray()
                    for component in repetition.components {
                        writer.beginArray()
                        for subcomponent in component.subcomponents {
                            scratch.removeAll(keepingCapacity: true)
                            subcomponent.decodeEscapes(into: &scratch)
                            writer.utf8String(HL7Text.string(scratch).utf8)
                        }
                        writer.endArray()
                    }
                    writer.endArray()
                }
                writer.endArray()
            }
            writer.endArray()
        }
        writer.endArray()
        writer.endObject()
        return writer.bytes + [0x0A]
    }

    /// One JSON line for a message that could not be read: `{"offset": N, "error": "..."}`.
    public static func jsonErrorLine(_ error: HL7ReadError, messageOffset: Int) -> [UInt8] {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("offset")
        writer.int(messageOffset)
        writer.key("error")
        writer.string(error.description)
        writer.endObject()
        return writer.bytes + [0x0A]
    }

    /// The readable form: a header line per message, then one line per sent field,
    /// numbered the way interface engineers say it (`PID-3: 4455^^^CHILDRENS^MR`;
    /// repeated segments as `OBX[2]-5`). Values are shown as written, with control
    /// characters made visible.
    public static func text(_ message: Message, file: String) -> String {
        let type = message.messageType
        var lines: [String] = []
        lines.append(
            "\(file) @\(message.offset): \(type.code)^\(type.event), control ID \(visible(message.header[10].rawBytes)), "
                + "version \(visible(message.header[12].rawBytes)), \(message.segments.count) segments")
        var occurrences: [SegmentID: Int] = [:]
        for segment in message.segments {
            let occurrence = occurrences[segment.id, default: 0] + 1
            occurrences[segment.id] = occurrence
            let name = occurrence == 1 ? segment.id.description : "\(segment.id)[\(occurrence)]"
            var printed = false
            for number in stride(from: 1, through: segment.fieldCount, by: 1) {
                let field = segment[number]
                guard !field.isEmpty else { continue }
                lines.append("  \(name)-\(number): \(visible(field.rawBytes))")
                printed = true
            }
            if !printed { lines.append("  \(name)") }
        }
        for warning in message.warnings { lines.append("  warning: \(warning)") }
        return lines.joined(separator: "\n") + "\n\n"
    }

    /// The readable line for a message that could not be read.
    public static func textError(_ error: HL7ReadError, messageOffset: Int, file: String) -> String {
        "\(file) @\(messageOffset): unreadable message: \(error)\n\n"
    }

    /// Text with CR, LF, tabs and other control bytes shown as `\r`, `\n`, `\t`, `\xHH`.
    static func visible(_ bytes: ArraySlice<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        for byte in bytes {
            switch byte {
            case 0x0D: output.append(contentsOf: Array("\\r".utf8))
            case 0x0A: output.append(contentsOf: Array("\\n".utf8))
            case 0x09: output.append(contentsOf: Array("\\t".utf8))
            case 0x00..<0x20, 0x7F:
                let hex = Array("0123456789ABCDEF".utf8)
                output.append(contentsOf: [0x5C, 0x78, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: output.append(byte)
            }
        }
        return HL7Text.string(output)
    }
}
