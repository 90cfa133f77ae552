export { scanUsage, type ScanInput } from "./scan-usage.js";
export { usageReaders } from "./registry.js";
