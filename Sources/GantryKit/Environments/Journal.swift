import Basics
import Foundation

/// The ledger of one environment while it changes: every change is saved at once, so the ledger on
/// disk is never behind what exists.
final class Journal: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Ledger
    private let store: LedgerStore

    init(_ ledger: Ledger, store: LedgerStore) {
        current = ledger
        self.store = store
    }

    /// The ledger as it stands.
    var ledger: Ledger { lock.withLock { current } }

    /// Changes the ledger and saves it before returning.
    func update(_ change: (inout Ledger) -> Void) throws(GantryError) {
        let snapshot = lock.withLock {
            change(&current)
            return current
        }
        try store.save(snapshot)
    }

    /// Adds a resource about to be created; returns its index for `update(resource:)`.
    func plan(_ resource: Ledger.Resource) throws(GantryError) -> Int {
        var index = 0
        try update { ledger in
            index = ledger.resources.count
            ledger.resources.append(resource)
        }
        return index
    }

    /// Marks every resource of `kind` removed and saves.
    func markRemoved(kind: String) throws(GantryError) {
        try update { ledger in
            for index in ledger.resources.indices where ledger.resources[index].kind == kind { ledger.resources[index].status = .removed }
        }
    }

    /// Changes one resource and saves.
    func update(resource index: Int, _ change: (inout Ledger.Resource) -> Void) throws(GantryError) {
        try update { ledger in
            guard ledger.resources.indices.contains(index) else { return }
            change(&ledger.resources[index])
        }
    }
}
