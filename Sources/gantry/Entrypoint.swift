import ArgumentParser
import GantryKit

@main
enum Entrypoint {
    static func main() async {
        do {
            var command = try Gantry.parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            Gantry.exit(for: error)
        }
    }
}
