import Basics

extension Configuration {
    /// The services in `depends_on` order: each after the services it depends on, else in the
    /// file's order. A valid configuration has no cycles; were there one, it would be cut.
    package var servicesInDependencyOrder: [Service] {
        var ordered: [Service] = []
        var placed = Set<String>()
        var visiting = Set<String>()
        func place(_ service: Service) {
            guard !placed.contains(service.name), visiting.insert(service.name).inserted else { return }
            for dependency in service.dependencies {
                if let next = self.service(named: dependency.name) { place(next) }
            }
            placed.insert(service.name)
            ordered.append(service)
        }
        for service in services { place(service) }
        return ordered
    }

    /// The services of these names, in the order given; a name that names none is a usage error
    /// with the closest service's name.
    package func services(named names: [String]) throws(GantryError) -> [Service] {
        try names.map { name throws(GantryError) in
            guard let service = service(named: name) else {
                throw .usage("no service named `\(name)` in \(file)\(suggestion(for: name, among: services.map(\.name)))")
            }
            return service
        }
    }

    /// The services `service` depends on, directly or through other services.
    package func serviceDependencies(of service: Service) -> [String] {
        var found: [String] = []
        var seen = Set([service.name])
        var queue = service.dependencies.map(\.name)
        while !queue.isEmpty {
            let name = queue.removeFirst()
            guard seen.insert(name).inserted, let next = self.service(named: name) else { continue }
            found.append(name)
            queue += next.dependencies.map(\.name)
        }
        return found
    }
}
