import Foundation
/// Checks that the tags an HTML document opens are closed in order (void elements and `/>` excepted),
/// and that no raw `<` or `&` escapes into text: enough to catch a renderer that forgets to escape or close.
enum HTMLTagChecker {
    static let voidElements: Set<String> = ["meta", "br", "hr", "img", "input", "link", "!doctype"]

    static func problems(_ html: String) -> [String] {
        var problems: [String] = []
        var stack: [String] = []
        var rest = html[...]
        while let open = rest.firstIndex(of: "<") {
            let text = rest[..<open]
            if let amp = text.range(of: "&"), !text[amp.lowerBound...].prefix(8).contains(";") {
                problems.append("bare & in text near: \(text.suffix(30))")
            }
            guard let close = rest[open...].firstIndex(of: ">") else {
                problems.append("unterminated tag")
                break
            }
            let tag = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("/") {
                let name = tag.dropFirst().lowercased()
                if stack.last == name {
                    stack.removeLast()
                } else {
                    problems.append("</\(name)> closes <\(stack.last ?? "nothing")>")
                }
                continue
            }
            let name = String(tag.prefix { !$0.isWhitespace && $0 != "/" }).lowercased()
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "!" }) else {
                problems.append("not a tag: <\(tag.prefix(20))")
                continue
            }
            if tag.hasSuffix("/") || voidElements.contains(name) { continue }
            if name == "style" {
                // CSS may hold '>' in selectors; skip to the closing tag.
                guard let end = rest.range(of: "</style>") else {
                    problems.append("unclosed <style>")
                    break
                }
                rest = rest[end.upperBound...]
                continue
            }
            stack.append(name)
        }
        if !stack.isEmpty { problems.append("unclosed: \(stack)") }
        return problems
    }
}
