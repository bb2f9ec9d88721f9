import HL7
import Surveillance

/// How a replay's reading thread shares the engine's per-message work
/// (``MessagePreparer``): while batches wait for the engine (the engine is the slower
/// thread), each message is prepared in full there; while the engine waits for messages
/// (the reader is the slower one), only its header and patient, the engine reading the
/// rest. The engine's outcome is the same either way, so the replay's output does not
/// depend on how the two threads happened to run.
public enum ReadAheadPreparation {
    /// Batches waiting from which a message is prepared in full.
    public static let fullFromWaitingBatches = 1

    /// The preparation step for a ``ParsedMessagePipeline`` replaying into an engine with
    /// `settings` (a preparer of its own on the reading thread).
    public static func adaptive(
        settings: SurveillanceSettings
    ) -> @Sendable (ReadAhead) -> (Message) -> PreparedMessage {
        { readAhead in
            var preparer = MessagePreparer(settings: settings)
            return { message in
                readAhead.waitingBatches >= fullFromWaitingBatches
                    ? preparer.prepare(message) : preparer.prepareHeader(message)
            }
        }
    }
}
