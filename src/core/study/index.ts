// Human forward-prediction studies: design (blinded, counterbalanced), the participants' offline HTML
// page, simulated participants for pilots, and the analysis with its verdict.
export { study, StudyError, type Study, type StudySpec, type StudyItemSpec, type StudyCondition } from "./design";
export { type Picture, type Colormap } from "./png";
export { studyHtml, studyPageJson } from "./html";
export { writeStudy, type WrittenStudy } from "./write";
export { simulateAnswers, type SimulationOptions } from "./simulate";
export * from "./analyze";
export { StudyPage, StudyKey, StudyAnswers, STUDY_VERSION } from "./schema";
