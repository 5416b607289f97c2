/** `html` tagged templates build Preact elements: components without JSX and without a build step. */
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);
