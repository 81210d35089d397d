// libFuzzer entry for the MIME reader (headers, multiparts, transfer encodings, report parts).
// Built by Scripts/fuzz together with Sources/TLSRPTMail; not part of the package.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMIME(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let mail = try? ReportMailReader.read(bytes) {
        _ = mail.provenance.subjectReportID
        for attachment in mail.attachments { _ = attachment.filename }
    }
    return 0
}
