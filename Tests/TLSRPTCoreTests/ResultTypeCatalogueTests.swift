import Foundation
import Testing

@testable import TLSRPTCore

struct ResultTypeCatalogueTests {
    @Test(arguments: ResultType.registered)
    func everyRegisteredTypeHasAFullEntry(type: ResultType) {
        let info = type.info
        #expect(info.type == type)
        #expect(!info.title.isEmpty)
        #expect(info.meaning.hasSuffix("."))
        #expect(info.likelyCauses.count >= 2)
        #expect(info.fixes.count >= 2)
        for text in [info.title, info.meaning] + info.likelyCauses + info.fixes {
            #expect(!text.contains("\n"), "renderers wrap; the catalogue holds paragraphs")
            #expect(text == text.trimmingCharacters(in: .whitespaces))
        }
        for text in info.likelyCauses + info.fixes {
            #expect(text.hasSuffix(".") || text.hasSuffix(".)"), "\(text)")
        }
    }

    @Test func titlesAreDistinct() {
        let titles = ResultType.registered.map(\.info.title)
        #expect(Set(titles).count == titles.count)
    }

    @Test func unknownTypesGetAGenericEntryNamingThem() {
        let info = ResultType(canonicalising: "Testing").info
        #expect(info.type == .unknown("testing"))
        #expect(info.title.contains("\"testing\""))
        #expect(!info.meaning.isEmpty)
        #expect(!info.fixes.isEmpty)
    }

    @Test func stsAdviceNamesThePolicyURL() {
        #expect(ResultType.stsPolicyFetchError.info.meaning.contains("/.well-known/mta-sts.txt"))
        #expect(ResultType.stsPolicyInvalid.info.likelyCauses.contains { $0.contains("31557600") })
    }
}
