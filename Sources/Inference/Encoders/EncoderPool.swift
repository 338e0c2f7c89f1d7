import CBLAS
import Formats
import Foundation
import Tokenization

/// Runs one encoder forward pass per sequence on a fixed number of threads, each with its own
/// scratch workspace, with OpenBLAS kept single-threaded.
///
/// The thread count changes only which thread computes a sequence, never how: a result is
/// bitwise the same for any thread count or batch. OpenBLAS's own threads are switched off
/// (process-wide) because they would split one product across cores in a way that depends
/// on its size; parallelism over sequences also scales better for 100-300-token texts.
final class EncoderPool: @unchecked Sendable {
    let encoder: any EncoderArchitecture
    let threads: Int
    let maxTokens: Int
    private var idle: [EncoderWorkspace] = []
    private let lock = NSLock()

    init(encoder: any EncoderArchitecture, threads: Int?, maxTokens: Int) throws {
        if let threads, threads < 1 { throw IndexerError(.usage, "thread count must be at least 1, not \(threads)") }
        self.encoder = encoder
        self.threads = threads ?? CPUBudget.threads
        self.maxTokens = maxTokens
        openblas_set_num_threads(1)
    }

    private func takeWorkspace() -> EncoderWorkspace {
        lock.lock()
        defer { lock.unlock() }
        return idle.popLast() ?? EncoderWorkspace(shape: encoder.workspaceShape, maxTokens: maxTokens)
    }

    private func give(_ ws: EncoderWorkspace) {
        lock.lock()
        idle.append(ws)
        lock.unlock()
    }

    /// Calls `body(item, workspace)` for every item of `order` (each exactly once), spread
    /// over the threads; items are claimed in `order`, so put the longest first for balance.
    /// The first error thrown stops the remaining work and is rethrown.
    func forEach(_ order: [Int], _ body: (Int, EncoderWorkspace) throws -> Void) throws {
        if order.isEmpty { return }
        // Again on every call: another module may have changed the process-wide setting,
        // and a product split over OpenBLAS threads rounds differently.
        openblas_set_num_threads(1)
        let workers = min(threads, order.count)
        var next = 0
        var failure: Error?
        let claim = NSLock()
        withoutActuallyEscaping(body) { body in
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                let ws = takeWorkspace()
                defer { give(ws) }
                while true {
                    claim.lock()
                    if failure != nil || next >= order.count { claim.unlock(); return }
                    let item = order[next]
                    next += 1
                    claim.unlock()
                    do {
                        try body(item, ws)
                    } catch {
                        claim.lock()
                        if failure == nil { failure = error }
                        claim.unlock()
                        return
                    }
                }
            }
        }
        if let failure { throw failure }
    }

    /// The one tokenise-then-schedule loop of both encoders: checks every sequence, then runs
    /// the forward pass longest first over the threads and hands `body` the item's index, its
    /// hidden rows, its token count and the workspace (valid only during the call).
    func encode(
        _ tokenized: [TokenizedTextView], modelPath: String,
        _ body: (Int, UnsafeMutablePointer<Float>, Int, EncoderWorkspace) -> Void
    ) throws {
        for t in tokenized { try validate(t, modelPath: modelPath) }
        try forEach(Parallel.longestFirst(tokenized.map(\.ids.count))) { i, ws in
            let t = tokenized[i]
            body(i, encoder.forward(ids: t.ids, typeIds: t.typeIds, workspace: ws), t.ids.count, ws)
        }
    }

    /// Checks a tokenised sequence against the model before it reaches the kernels.
    func validate(_ t: TokenizedTextView, modelPath: String) throws {
        let vocab = Int32(encoder.vocabSize), types = Int32(encoder.typeVocabSize)
        guard t.ids.count <= maxTokens else {
            throw IndexerError(.internal, "tokenizer returned \(t.ids.count) tokens, more than the maximum \(maxTokens)")
        }
        for id in t.ids where id < 0 || id >= vocab {
            throw IndexerError(.model, "token id \(id) is outside the model's vocabulary of \(vocab): tokenizer and weights do not match", path: modelPath)
        }
        // Families without token types (≤ 1 row) read zeros whatever the tokenizer says.
        for ty in t.typeIds where types > 1 && (ty < 0 || ty >= types) {
            throw IndexerError(.model, "token type \(ty) is outside the model's \(types) token types", path: modelPath)
        }
    }
}

/// Ids and type ids of one sequence, whatever produced them.
struct TokenizedTextView {
    var ids: [Int32]
    var typeIds: [Int32]
}

extension TokenizedTextView {
    init(_ t: TokenizedText) { self.init(ids: t.ids, typeIds: t.typeIds) }
}
