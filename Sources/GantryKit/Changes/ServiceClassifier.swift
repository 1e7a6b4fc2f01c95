import Basics
import Config

/// Decides which services a set of changed paths touches: their own paths, their groups and
/// services through `depends_on` (transitively), and `global` files.
struct ServiceClassifier {
    let configuration: Configuration

    /// Classifies every service.
    ///
    /// - Parameters:
    ///   - paths: The changed paths; both sides of a rename included. Sorted.
    ///   - allServicesReason: When set, every service changed for this reason, without matching.
    ///   - inputs: Per service name, why it changed through what its Dockerfile reads (`inputs: dockerfile`).
    func classify(paths: [String], allServicesReason: String?, inputs: [String: [ChangeReason]] = [:]) -> [ServiceChange] {
        let services = configuration.services
        var ownFiles = [[String]](repeating: [], count: services.count)
        let index = OwnershipIndex(services.map(\.paths))
        for path in paths {
            for candidate in index.candidates(for: path) where services[candidate].owns(path) {
                ownFiles[candidate].append(path)
            }
        }
        if let allServicesReason {
            return zip(configuration.services, ownFiles).map { service, files in
                ServiceChange(service: service, reasons: [ChangeReason(kind: .all, detail: allServicesReason)], files: files)
            }
        }
        let globalFiles = configuration.global.isEmpty ? [] : paths.filter(configuration.global.matches)
        let groups = configuration.groups
        let groupIndex = OwnershipIndex(groups.map(\.paths))
        var changedGroups = Set<String>()
        for path in paths where changedGroups.count < groups.count {
            for candidate in groupIndex.candidates(for: path) where groups[candidate].paths.matches(path) {
                changedGroups.insert(groups[candidate].name)
            }
        }

        var changedServices: [String: Bool] = [:]
        let byName = Dictionary(configuration.services.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let filesByName = Dictionary(
            zip(configuration.services.map(\.name), ownFiles).map { ($0, $1) }, uniquingKeysWith: { first, _ in first })

        // Whether a service changed through its own files or its dependencies; the configuration
        // was validated acyclic, and the memo keeps this linear in the number of edges.
        func isChanged(_ service: Service) -> Bool {
            if let known = changedServices[service.name] { return known }
            changedServices[service.name] = false
            let changed =
                !(filesByName[service.name] ?? []).isEmpty || inputs[service.name] != nil
                || service.dependencies.contains { dependency in
                    changedGroups.contains(dependency.name) || byName[dependency.name].map(isChanged) == true
                }
            changedServices[service.name] = changed
            return changed
        }

        return zip(configuration.services, ownFiles).map { service, files in
            var reasons: [ChangeReason] = []
            if !files.isEmpty {
                reasons.append(ChangeReason(kind: .files, detail: counted(files.count, "file"), files: files))
            }
            let inputReasons = inputs[service.name] ?? []
            reasons += inputReasons
            for dependency in service.dependencies {
                if changedGroups.contains(dependency.name) {
                    reasons.append(ChangeReason(kind: .dependency, detail: "group \(dependency.name)"))
                } else if let other = byName[dependency.name], isChanged(other) {
                    reasons.append(ChangeReason(kind: .dependency, detail: "service \(dependency.name)"))
                }
            }
            if !globalFiles.isEmpty {
                reasons.append(ChangeReason(kind: .global, detail: counted(globalFiles.count, "global file"), files: globalFiles))
            }
            let inputFiles = inputReasons.flatMap(\.files)
            return ServiceChange(service: service, reasons: reasons, files: inputFiles.isEmpty ? files : Array(Set(files + inputFiles)).sorted())
        }
    }
}
