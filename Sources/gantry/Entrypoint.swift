import Foundation

@main
enum Entrypoint {
    static func main() async {
        exit(await Gantry.execute(Array(CommandLine.arguments.dropFirst())))
    }
}
