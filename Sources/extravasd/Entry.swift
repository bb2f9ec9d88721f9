import ExtravasdCommands

/// The `extravasd` executable: everything lives in `ExtravasdCommands`.
@main
enum Entry {
    static func main() async {
        await Extravasd.main()
    }
}
