// swift-tools-version: 6.2
// The SHA-256 benchmark's own package (see ../run.sh): swift-crypto, as the project uses it, and the
// hand-written SHA256Digest the project had before, copied in from git history by run.sh.
import PackageDescription

let package = Package(
    name: "sha-bench",
    dependencies: [.package(url: "https://github.com/apple/swift-crypto", from: "3.12.3")],
    targets: [
        .executableTarget(name: "ShaBench", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
    ]
)
