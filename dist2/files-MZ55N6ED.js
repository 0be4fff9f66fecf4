import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  FileRefused,
  slackFileFetcher
} from "./chunk-VID4KTTZ.js";
import "./chunk-VF57VZD3.js";
export {
  FileRefused,
  slackFileFetcher
};
