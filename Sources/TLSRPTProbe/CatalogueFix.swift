import Foundation
import TLSRPTCore

/// A fix from the result-type catalogue (``ResultTypeInfo/fixes``) with `HOST` and `DOMAIN` filled in, so
/// that the probe and the summary give the same advice in the same words.
enum CatalogueFix {
    static func text(_ type: ResultType, _ index: Int, host: String, domain: String) -> String {
        let fixes = type.info.fixes
        return fixes[min(index, fixes.count - 1)].replacingOccurrences(of: "HOST", with: host).replacingOccurrences(of: "DOMAIN", with: domain)
    }
}
