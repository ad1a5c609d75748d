// sha-bench crypto|hand FILE: the file's SHA-256 in hex, read 1 MB at a time.
import Crypto
import Foundation

let args = CommandLine.arguments
guard args.count == 3, args[1] == "crypto" || args[1] == "hand" else {
    FileHandle.standardError.write(Data("usage: sha-bench crypto|hand FILE\n".utf8))
    exit(2)
}
let fd = open(args[2], O_RDONLY)
guard fd >= 0 else { perror(args[2]); exit(1) }
defer { close(fd) }

/// Calls `body` with each read of `fd`, until the end of the file.
func eachChunk(_ fd: Int32, _ body: (UnsafeRawBufferPointer) -> Void) {
    let chunk = 1 << 20
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
    defer { buffer.deallocate() }
    while true {
        let n = read(fd, buffer.baseAddress, chunk)
        if n < 0 { perror("read"); exit(1) }
        if n == 0 { return }
        body(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
    }
}

func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    bytes.map { String(format: "%02x", $0) }.joined()
}

if args[1] == "crypto" {
    var h = SHA256()
    eachChunk(fd) { h.update(bufferPointer: $0) }
    print(hex(h.finalize()))
} else {
    var h = SHA256Digest()
    eachChunk(fd) { h.update($0) }
    print(hex(h.finalize()))
}
