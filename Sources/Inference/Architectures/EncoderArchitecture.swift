import Formats
import Foundation

/// One encoder family's forward pass over one sequence: token ids → last hidden states.
///
/// Every family computes one sequence at a time on the calling thread with single-threaded
/// OpenBLAS. That is what makes results bitwise reproducible: OpenBLAS's sgemm rounds a row
/// differently depending on where the row falls in its register tiles and on the number of
/// rows (measured: a row computed alone and the same row inside a larger product differ in
/// the last bits), so packing the tokens of several texts into one matrix would make a
/// text's vector depend on its batch neighbours. Computing each sequence on its own gives
/// every text exactly the same sequence of operations wherever and with whatever it is
/// batched; parallelism comes from running different sequences on different threads.
///
/// All weight products go through `Linear`; only attention's Q·Kᵀ and P·V call sgemm.
protocol EncoderArchitecture: AnyObject, Sendable {
    /// The width of a hidden state.
    var hiddenSize: Int { get }
    /// Token ids must be below this.
    var vocabSize: Int { get }
    /// The longest sequence the position scheme allows, special tokens included.
    var maxTokens: Int { get }
    /// Token-type rows; 0 or 1 means the family ignores type ids (callers pass zeros).
    var typeVocabSize: Int { get }
    /// The scratch sizes one sequence needs per token.
    var workspaceShape: WorkspaceShape { get }

    /// Runs the encoder over one sequence; returns its `n × hiddenSize` last hidden states in
    /// `workspace.hidden` (valid until the workspace is reused). Every token attends to every
    /// token it may see: a lone sequence has no padding. Callers check ids and length.
    func forward(ids: [Int32], typeIds: [Int32], workspace: EncoderWorkspace) -> UnsafeMutablePointer<Float>
}

/// Per-token widths of the scratch buffers of a family.
struct WorkspaceShape: Sendable {
    /// The hidden width (hidden, context, sublayer and normed buffers).
    var hidden: Int
    /// The feed-forward width (GeGLU: both halves).
    var intermediate: Int
    /// The input width of the embeddings when it differs from `hidden` (ELECTRA), else `hidden`.
    var embedding: Int
}

/// Scratch memory for one sequence of up to `maxTokens` tokens; one per worker thread.
final class EncoderWorkspace {
    let maxTokens: Int
    let hidden: FloatBuffer, qkv: FloatBuffer, context: FloatBuffer, sublayer: FloatBuffer
    let normed: FloatBuffer, intermediate: FloatBuffer, scores: FloatBuffer

    init(shape: WorkspaceShape, maxTokens: Int) {
        self.maxTokens = maxTokens
        let h = shape.hidden, wide = max(shape.hidden, shape.embedding)
        hidden = FloatBuffer(count: maxTokens * h)
        qkv = FloatBuffer(count: maxTokens * 3 * h)
        context = FloatBuffer(count: maxTokens * h)
        sublayer = FloatBuffer(count: maxTokens * max(h, 8))
        normed = FloatBuffer(count: maxTokens * wide)
        intermediate = FloatBuffer(count: maxTokens * shape.intermediate)
        scores = FloatBuffer(count: maxTokens * maxTokens)
    }
}

/// Reads tensors of one checkpoint under a prefix, with the shapes a family expects.
struct WeightReader {
    let file: SafeTensorsFile
    let prefix: String
    /// The precision of the encoder's weight products; heads stay fp32 (one row a sequence).
    var precision: Precision = .fp32

    /// The tensor `prefix + name`, checked against `shape`.
    func tensor(_ name: String, _ shape: [Int]) throws -> FloatBuffer {
        FloatBuffer(try file.floats(prefix + name, shape: shape))
    }

    /// Whether `prefix + name` exists.
    func has(_ name: String) -> Bool { file.tensors[prefix + name] != nil }

    /// A dense layer `name.weight` (`out × inp`) with `name.bias`, or a zero bias when `bias` is false.
    func linear(_ name: String, out: Int, inp: Int, bias: Bool = true) throws -> Linear {
        try fp32Linear(name, out: out, inp: inp, bias: bias).prepared(for: precision)
    }

    private func fp32Linear(_ name: String, out: Int, inp: Int, bias: Bool = true) throws -> Linear {
        Linear(
            weight: try tensor(name + ".weight", [out, inp]),
            bias: bias ? try tensor(name + ".bias", [out]) : FloatBuffer(count: out),
            inFeatures: inp, outFeatures: out)
    }

    /// A layer norm `name.weight` with `name.bias`, or a zero shift when `bias` is false.
    func norm(_ name: String, size: Int, eps: Float, bias: Bool = true) throws -> LayerNorm {
        LayerNorm(
            gamma: try tensor(name + ".weight", [size]),
            beta: bias ? try tensor(name + ".bias", [size]) : FloatBuffer(count: size), eps: eps)
    }

    /// Three `h × h` projections stacked into one `3h × h` layer (one product instead of three).
    func stackedQKV(_ names: [String], hidden h: Int) throws -> Linear {
        let weight = FloatBuffer(count: 3 * h * h), bias = FloatBuffer(count: 3 * h)
        for (j, name) in names.enumerated() {
            let part = try fp32Linear(name, out: h, inp: h)
            (weight.pointer + j * h * h).update(from: part.weight.pointer, count: h * h)
            (bias.pointer + j * h).update(from: part.bias.pointer, count: h)
        }
        return Linear(weight: weight, bias: bias, inFeatures: h, outFeatures: 3 * h).prepared(for: precision)
    }

    /// The first of `prefixes` under which `probe` exists, or an error listing what was tried.
    static func prefix(in file: SafeTensorsFile, candidates: [String], probe: String) throws -> String {
        for p in candidates where file.tensors[p + probe] != nil { return p }
        let tried = candidates.map { "'\($0 + probe)'" }.joined(separator: " or ")
        throw IndexerError(.model, "no encoder tensors (\(tried)) in the weights", path: file.path)
    }
}
