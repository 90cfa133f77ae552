import type { Renderer } from "../types.js";
import { renderMarkdown } from "./render-markdown.js";

export const renderer: Renderer = { id: "md", extension: "md", render: renderMarkdown };
