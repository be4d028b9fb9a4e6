/**
 * Training, detection and validation runs for any registered detector.
 */
export {};
