// ffem-edge — EdgeError.swift: the command's failures, mapped onto the exit statuses of DESIGN.md §9.
import FFEMCLI

/// A usage error (64), bad input data (65) or another failure (1).
enum EdgeError: Error {
    case usage(String)
    case data(String)
    case failure(String)

    var commandError: CommandError {
        switch self {
        case .usage(let text): return .usage(text)
        case .data(let text): return .dataError(text)
        case .failure(let text): return .failure(text)
        }
    }
}
