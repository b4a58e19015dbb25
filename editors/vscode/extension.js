// Starts the luoshi language server (`luoshi lsp`, over stdio) for .policy and .units files.
// The command is the setting `luoshi.server.command` (default: `luoshi`, found on PATH) with
// `luoshi.server.args` (default: ["lsp"]); install the server with `pip install 'luoshi[lsp]'`.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration("luoshi.server");
  const command = settings.get("command", "luoshi");
  const args = settings.get("args", ["lsp"]);
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  const serverOptions = {
    command,
    args,
    transport: TransportKind.stdio,
    options: folder ? { cwd: folder.uri.fsPath } : {},
  };
  const clientOptions = {
    documentSelector: [{ scheme: "file", language: "luoshi" }],
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/*.{policy,units}") },
  };
  client = new LanguageClient("luoshi", "落实 luoshi", serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
