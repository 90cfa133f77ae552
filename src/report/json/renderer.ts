import type { Renderer } from "../types.js";
import { renderJson } from "./render-json.js";

export const renderer: Renderer = { id: "json", extension: "json", render: renderJson };
