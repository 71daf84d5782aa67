// FFEMEval — EvaluationError.swift: the errors of evaluating embeddings, under one type.

/// A failed evaluation: a bad embedding, or scores the metrics cannot use.
public enum EvaluationError: Error, Sendable, Equatable, CustomStringConvertible {
    case embedding(EmbeddingError)
    case metric(MetricError)

    public var description: String {
        switch self {
        case .embedding(let error): return error.description
        case .metric(let error): return error.description
        }
    }
}
