import Foundation
import PackagePlugin

/// Embeds the package's top-level screens/ and assets/ folders into the target as Swift source.
@main
struct EmbedFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let folders = ["screens", "assets"]
        var inputs: [URL] = []
        for folder in folders {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            inputs.append(base)
            // Folders are inputs too: adding or removing a file changes them.
            for case let url as URL in walker { inputs.append(url) }
        }
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("EmbeddedFiles.swift")
        return [.buildCommand(
            displayName: "Embedding screens/ and assets/",
            executable: try context.tool(named: "EmbedTool").url,
            arguments: [output.path, root.path] + folders,
            inputFiles: inputs,
            outputFiles: [output])]
    }
}
