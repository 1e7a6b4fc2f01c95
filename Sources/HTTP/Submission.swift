import Basics
internal import CCurl

/// One piece of work handed to a session's loop: an exchange, a connect-only check through
/// libcurl, or a connect or an exchange the loop makes itself; and how to report its end to the task waiting for it.
///
/// Ownership moves from the submitting task to the loop thread through the loop's lock, and
/// `transfer` is then only touched on the loop thread, which is what makes the unchecked
/// `Sendable` sound.
final class Submission: @unchecked Sendable {
    /// What the loop sets up on the easy handle.
    enum Kind {
        case exchange
        /// An exchange of which only the status and the timings are wanted (a repeated
        /// exchange's): its header fields and body are read and checked but not kept.
        case statusExchange
        case connectionCheck
        /// A connect with a plain non-blocking socket to a numeric address, tried again after
        /// `retryDelay` until it connects or the request's timeout passes (nil: once).
        case socketConnect(SocketAddress, retryDelay: Duration?)
        /// An exchange of which only the status and the timings are wanted, written and read by
        /// the loop itself (`PlainClient`) instead of libcurl.
        case plainExchange(PlainRequest)
    }

    /// How a submission ended, handed to `report` on the loop thread while the easy handle still
    /// holds the transfer's information.
    enum Ending {
        /// libcurl finished the transfer with this result.
        case finished(Transfer, CURLcode)
        /// The loop's own connect succeeded.
        case connected(HTTPTimings)
        /// The loop's own exchange got this response.
        case answered(HTTPExchangeSummary)
        /// The transfer never ran to its end: it could not start, or it was cancelled.
        case failed(HTTPError)
    }

    let kind: Kind
    let request: HTTPRequest
    /// Resumes the waiting task; set before the submission reaches the loop, called exactly once.
    var report: ((Ending) -> Void)?
    /// The running transfer; loop thread only.
    var transfer: Transfer?
    /// The running connect of a `.socketConnect`; loop thread only.
    var connect: SocketConnect?
    /// Guarded by the loop's lock: the task asked to cancel, possibly before submitting.
    var isCancellationRequested = false
    /// Guarded by the loop's lock: the loop has been handed this submission.
    var isSubmitted = false

    init(kind: Kind, request: HTTPRequest) {
        self.kind = kind
        self.request = request
    }

    /// Reports the end once; the report closure is dropped at once so that the continuation
    /// it holds cannot be resumed twice.
    func end(_ ending: Ending) {
        guard let report else {
            assertionFailure("a submission ended twice")
            return
        }
        self.report = nil
        report(ending)
    }
}
