import type { Renderer } from "../types.js";
import { renderHtml } from "./render-html.js";

export const renderer: Renderer = { id: "html", extension: "html", render: renderHtml };
