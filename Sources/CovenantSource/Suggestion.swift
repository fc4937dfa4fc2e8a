/// "Did you mean …?" suggestions by edit distance.
public enum Suggestion {
    /// The candidate closest to `word`, when it is close enough to be a plausible typo
    /// (distance at most 1 for short words, 2 up to 8 characters, else a third of the length).
    ///
    /// Cost is bounded whatever the input: a candidate whose length differs from the word's by more
    /// than the threshold cannot be within it and is skipped before any distance is computed, and
    /// words longer than ``maxWordLength`` get no suggestion at all (nobody mistypes a 12-letter key
    /// as a 2,000-letter one; an attacker's header should not cost header × rows work).
    public static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        guard word.unicodeScalars.count <= maxWordLength else { return nil }
        let w = Array(word.lowercased().unicodeScalars)
        let threshold = w.count <= 3 ? 1 : (w.count <= 8 ? 2 : w.count / 3)
        var best: (String, Int)?
        for candidate in candidates {
            let c = Array(candidate.lowercased().unicodeScalars)
            guard abs(c.count - w.count) <= threshold else { continue }
            let d = distance(w, c)
            if d <= threshold, best == nil || d < best!.1 || (d == best!.1 && candidate < best!.0) {
                best = (candidate, d)
            }
        }
        return best?.0
    }

    /// Words longer than this (in Unicode scalars) are never given a suggestion.
    public static let maxWordLength = 64

    /// Levenshtein distance with adjacent transpositions counted as one edit.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev2 = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    cur[j] = min(cur[j], prev2[j - 2] + 1)
                }
            }
            prev2 = prev
            prev = cur
        }
        return prev[b.count]
    }
}
