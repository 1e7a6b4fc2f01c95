import ArgumentParser
import GantryKit

@main
enum Entrypoint {
    static func main() {
        do {
            var command = try Gantry.parseAsRoot()
            try command.run()
        } catch {
            Gantry.exit(for: error)
        }
    }
}
