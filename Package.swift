// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "gantry",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "gantry", targets: ["gantry"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: [
        // Each target may import only the targets it lists, so the compiler rejects an upward
        // import; the README's Layout section draws the layers.
        .executableTarget(
            name: "gantry",
            dependencies: [
                "Pipeline", "Reports", "GantryKit", "Basics", "GitHubActions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "Pipeline", dependencies: ["Reports", "GantryKit", "Config", "Basics", "GitHubActions", "Git"]),
        .target(name: "Reports", dependencies: ["GantryKit", "Config", "Basics", "GitHubActions", "Git"]),
        .target(
            name: "GantryKit",
            dependencies: [
                "Config", "Basics", "PathPattern", "TagGrammar", "GitHubActions", "Git", "HTTP", "TLS", "Dockerfile",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "Config",
            dependencies: ["Basics", "PathPattern", "TagGrammar", .product(name: "Yams", package: "Yams")]
        ),
        .target(name: "GitHubActions", dependencies: ["Basics"]),
        .target(name: "TagGrammar", dependencies: ["Basics", "Git"]),
        .target(name: "PathPattern"),
        .target(name: "Dockerfile", dependencies: ["Basics", "PathPattern"]),
        .target(name: "Basics"),
        .target(name: "Git", dependencies: ["CGit2"]),
        .target(name: "HTTP", dependencies: ["CCurl", "Basics"]),
        .target(name: "TLS", dependencies: ["COpenSSL", "Basics"]),
        .systemLibrary(
            name: "CGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        // libcurl's headers only: the HTTP module loads the library itself, with dlopen, when a
        // command first makes a request (Sources/HTTP/LibCurl.swift), so nothing links it.
        .systemLibrary(
            name: "CCurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]
        ),
        // Linked, not loaded with dlopen as libcurl is: libcrypto is linked already (for libgit2's
        // release build), and libssl adds little start-up (see the README's Benchmarks).
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        .target(name: "TestSupport", dependencies: ["Basics"], path: "Tests/TestSupport"),
        .testTarget(name: "GitTests", dependencies: ["Git", "TestSupport"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "TestSupport"]),
        .testTarget(name: "TLSTests", dependencies: ["TLS", "TestSupport"]),
        .testTarget(name: "BasicsTests", dependencies: ["Basics", "TestSupport"]),
        .testTarget(name: "PathPatternTests", dependencies: ["PathPattern", "TestSupport"]),
        .testTarget(name: "DockerfileTests", dependencies: ["Dockerfile", "Basics"]),
        .testTarget(name: "TagGrammarTests", dependencies: ["TagGrammar", "Basics", "Git"]),
        .testTarget(name: "GitHubActionsTests", dependencies: ["GitHubActions", "Basics", "TestSupport"]),
        .testTarget(
            name: "GantryKitTests",
            dependencies: [
                "GantryKit", "Config", "Reports", "Basics", "PathPattern", "GitHubActions", "Git", "Dockerfile", "TestSupport",
            ]
        ),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "Basics", "TagGrammar", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "GantryKit", "Config", "Basics", "GitHubActions", "TestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "GantryKit", "Basics", "GitHubActions", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"]),
        .testTarget(name: "WorkflowTests", dependencies: ["TestSupport"]),
        .testTarget(name: "ActionTests", dependencies: ["TestSupport", .product(name: "Yams", package: "Yams")]),
    ],
    swiftLanguageModes: [.v6]
)
