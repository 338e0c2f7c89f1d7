import Foundation

/// The one way work is spread over threads here: a strided map, and the longest-first order.
///
/// Which worker computes an item never changes its value, so results are the same for any
/// thread count; that is what every caller (tokenisers, BM25 search) relies on.
public enum Parallel {
    /// `body(i, &state)` for every `i` in `0..<count`, on at most `workers` threads, results in
    /// index order. Worker `w` takes items `w, w + workers, …` and owns one `state` (scratch
    /// buffers) made by `makeState`. Every item runs; the error of the lowest failing index is
    /// rethrown. With one worker (or one item) no thread is started.
    public static func map<State, T, E: Error>(
        count: Int, workers: Int, state makeState: () -> State, _ body: (Int, inout State) throws(E) -> T
    ) throws(E) -> [T] {
        let workers = max(1, min(workers, count))
        if workers == 1 {
            var state = makeState()
            var out: [T] = []
            out.reserveCapacity(count)
            for i in 0..<count { out.append(try body(i, &state)) }
            return out
        }
        let slots = UnsafeMutablePointer<Result<T, E>>.allocate(capacity: count)
        defer {
            slots.deinitialize(count: count)
            slots.deallocate()
        }
        // Each slot is initialised by exactly one worker, so no lock is needed.
        withoutActuallyEscaping(makeState) { makeState in
            withoutActuallyEscaping(body) { body in
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var state = makeState()
                    for i in stride(from: w, to: count, by: workers) {
                        do throws(E) {
                            (slots + i).initialize(to: .success(try body(i, &state)))
                        } catch {
                            (slots + i).initialize(to: .failure(error))
                        }
                    }
                }
            }
        }
        var out: [T] = []
        out.reserveCapacity(count)
        for i in 0..<count { out.append(try slots[i].get()) }
        return out
    }

    /// ``map(count:workers:state:_:)`` without per-worker state.
    public static func map<T, E: Error>(count: Int, workers: Int, _ body: (Int) throws(E) -> T) throws(E) -> [T] {
        try map(count: count, workers: workers, state: {}) { (i: Int, _: inout Void) throws(E) -> T in try body(i) }
    }

    /// Indices of `lengths` longest first, ties by index: the schedule that balances threads
    /// (the long items start first) and lets a batch of neighbours share one padded length.
    public static func longestFirst(_ lengths: [Int]) -> [Int] {
        lengths.indices.sorted { (lengths[$0], $1) > (lengths[$1], $0) }
    }
}
