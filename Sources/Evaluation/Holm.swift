import Foundation

extension Statistics {
    /// Holm's step-down adjusted p-values, in the order of `p` (as statsmodels
    /// `multipletests(method: "holm")`): sort ascending (ties keep their input order), multiply
    /// the i-th smallest (0-based) by m - i, carry the running maximum up, cap at 1.
    public static func holm(_ p: [Double]) -> [Double] {
        let m = p.count
        let order = p.indices.sorted { p[$0] < p[$1] || (p[$0] == p[$1] && $0 < $1) }
        var adjusted = [Double](repeating: 0, count: m)
        var running = 0.0
        for (i, j) in order.enumerated() {
            running = max(running, min(1, Double(m - i) * p[j]))
            adjusted[j] = running
        }
        return adjusted
    }
}
