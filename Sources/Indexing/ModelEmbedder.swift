import Formats
import Inference

extension IndexBuild {
    /// The bi-encoder of `options.modelDirectory`, on `options.threads` threads, at `options.precision`.
    static func modelEmbedder(_ options: BuildOptions) throws -> DocumentEmbedder {
        try BiEncoder(modelDirectory: options.modelDirectory, threads: options.threads, precision: options.precision)
    }
}
