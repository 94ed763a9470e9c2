// Drives an MCP server with the official TypeScript SDK client: connect, list the tools, call one,
// and print {serverInfo, capabilities, protocolVersion, tools, result} as one JSON line on stdout.
//
//   node mcp-client.mjs http  <url>                <tool> <json-arguments>
//   node mcp-client.mjs stdio <command> [args...]  <tool> <json-arguments>
//
// The tool and its arguments are always the last two; a failure exits non-zero with the error on stderr.
// With the tool `--calls`, the arguments are a list of calls [{name, arguments}] made in order on one
// connection, and `results` holds their results. A string argument "${N.field}" is replaced by `field`
// of the JSON document that call N answered (e.g. "${0.batch_id}").
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [mode, ...rest] = process.argv.slice(2);
if (rest.length < 3) {
  console.error('usage: mcp-client.mjs http <url> <tool> <json-arguments>\n'
    + '       mcp-client.mjs stdio <command> [args...] <tool> <json-arguments>');
  process.exit(2);
}
const target = rest.slice(0, -2);
const [toolName, toolArguments] = [rest.at(-2), JSON.parse(rest.at(-1))];

function transportFor(mode, target) {
  switch (mode) {
    case 'http':
      return new StreamableHTTPClientTransport(new URL(target[0]));
    case 'stdio':
      // The server's stderr (its logs) passes through to ours.
      return new StdioClientTransport({ command: target[0], args: target.slice(1), stderr: 'inherit' });
    default:
      throw new Error(`unknown transport ${mode}: expected http or stdio`);
  }
}

async function callInOrder(client, calls) {
  const results = [];
  const earlier = (index, field) => JSON.parse(results[Number(index)].content[0].text)[field];
  for (const call of calls) {
    const args = JSON.parse(JSON.stringify(call.arguments ?? {}), (key, value) =>
      typeof value === 'string' ? value.replace(/\$\{(\d+)\.(\w+)\}/g, (match, index, field) => earlier(index, field)) : value);
    results.push(await client.callTool({ name: call.name, arguments: args }));
  }
  return results;
}

const client = new Client({ name: 'batchgate-test-client', version: '1.0.0' });
const transport = transportFor(mode, target);
try {
  await client.connect(transport);
  const { tools } = await client.listTools();
  const outcome = toolName === '--calls'
    ? { results: await callInOrder(client, toolArguments) }
    : { result: await client.callTool({ name: toolName, arguments: toolArguments }) };
  console.log(JSON.stringify({
    serverInfo: client.getServerVersion(),
    capabilities: client.getServerCapabilities(),
    // Only HTTP transports record the negotiated version (they send it as MCP-Protocol-Version).
    protocolVersion: transport.protocolVersion ?? null,
    tools,
    ...outcome,
  }));
} finally {
  await client.close();
}
