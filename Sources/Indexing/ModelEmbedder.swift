import Formats
import Inference

extension IndexBuild {
    /// The bi-encoder `options.modelDirectory` names (a folder or `hf:ORG/NAME[@REV]`), on
    /// `options.threads` threads, with the prompt overrides of `options`.
    static func modelEmbedder(_ options: BuildOptions, environment: [String: String]) throws -> DocumentEmbedder {
        try BiEncoder(modelDirectory: try ModelResolver(environment: environment).resolve(options.modelDirectory), threads: options.threads,
                      queryPrompt: options.queryPrompt, documentPrompt: options.documentPrompt)
    }
}
