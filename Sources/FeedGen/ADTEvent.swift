/// The ADT events the generator writes.
enum ADTEvent {
    case admit, transfer, discharge, update, merge
}
