/// The order controls (ORC-1) the generator writes.
enum OrderControl {
    case new, discontinue, completed, cancel, change, hold, release
}
