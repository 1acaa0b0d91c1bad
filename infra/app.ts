import { buildApp } from './build.js';

buildApp().app.synth();
