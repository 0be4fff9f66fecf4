import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);
import {
  ApiError,
  inProcessApi,
  remoteApi
} from "./chunk-BMQCRIJQ.js";
import "./chunk-JYRYH5OX.js";
import "./chunk-AWEWKH4D.js";
import "./chunk-VF57VZD3.js";
export {
  ApiError,
  inProcessApi,
  remoteApi
};
