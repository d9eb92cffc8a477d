/** A page calling callables by URL with `firebase/functions`, as a frontend does. */
import { initializeApp } from "firebase/app";
import { type FunctionsError, getFunctions, httpsCallableFromURL } from "firebase/functions";
import { expose } from "./runtime.js";

const app = initializeApp({ projectId: "demo-hearth", apiKey: "demo-api-key" });

const steps = {
  async call(url: string, data: unknown) {
    return (await httpsCallableFromURL(getFunctions(app), url)(data)).data;
  },
  /** How a call failed: the SDK's code and the server's details. */
  async failure(url: string, data: unknown) {
    try {
      await httpsCallableFromURL(getFunctions(app), url)(data);
      return null;
    } catch (error) {
      const { code, details } = error as FunctionsError;
      return { code, details: details ?? null };
    }
  },
};

export type FunctionsSteps = typeof steps;

expose(steps);
