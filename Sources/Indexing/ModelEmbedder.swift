import Formats

extension IndexBuild {
    /// The bi-encoder of `options.modelDirectory`.
    static func modelEmbedder(_ options: BuildOptions) throws -> DocumentEmbedder {
        throw IndexerError(.model, "the bi-encoder is not available in this build yet (Inference.BiEncoder)", path: options.modelDirectory)
    }
}
