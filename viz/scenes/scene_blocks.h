#pragma once
// The building blocks of scene files, one function per kind (toolkit/config/scene_script.h
// describes them, docs/scenes.md documents them): each adds its animations to the context's
// timeline.
#include "viz/scenes/scene_context.h"

namespace trajtool {

// Text (text_blocks.cc).
void play_block(SceneContext& c, const TitleCardBlock& b);
void play_block(SceneContext& c, const SectionTitleBlock& b);
void play_block(SceneContext& c, const TextBlock& b);
void play_block(SceneContext& c, const FormulaBlock& b);
void play_block(SceneContext& c, const NoteBlock& b);
void play_block(SceneContext& c, const WaitBlock& b);
void play_block(SceneContext& c, const ClearBlock& b);
// Landscapes and the runs on them (landscape_blocks.cc).
void play_block(SceneContext& c, const LandscapeBlock& b);
void play_block(SceneContext& c, const TrajectoriesBlock& b);
void play_block(SceneContext& c, const MinimumReportBlock& b);
void play_block(SceneContext& c, const ConvergenceMapsBlock& b);
// Basin-of-attraction maps of sweeps (basin_blocks.cc).
void play_block(SceneContext& c, const BasinMapsBlock& b);
// Plots, diagrams and legends (plot_blocks.cc).
void play_block(SceneContext& c, const LinePlotBlock& b);
void play_block(SceneContext& c, const MemoryDiagramBlock& b);
void play_block(SceneContext& c, const DiagramBlock& b);
void play_block(SceneContext& c, const LegendBlock& b);
// Trained models: datasets, training curves, decision regions, layer norms, activations
// (training_blocks.cc).
void play_block(SceneContext& c, const DatasetBlock& b);
void play_block(SceneContext& c, const TrainingCurvesBlock& b);
void play_block(SceneContext& c, const DecisionBoundaryBlock& b);
void play_block(SceneContext& c, const LayerNormsBlock& b);
void play_block(SceneContext& c, const ActivationHistogramsBlock& b);
// Agents: a network's recorded activity beside its environment (agent_blocks.cc).
void play_block(SceneContext& c, const NetworkActivityBlock& b);
// Training logs (metric_blocks.cc).
void play_block(SceneContext& c, const MetricCurvesBlock& b);
void play_block(SceneContext& c, const MetricPanelsBlock& b);
void play_block(SceneContext& c, const MetricStatsBlock& b);
// Loss landscapes of trained models (loss_landscape_blocks.cc).
void play_block(SceneContext& c, const LossLandscapeBlock& b);
void play_block(SceneContext& c, const LossSurface3DBlock& b);
// 3D sections (three_d_blocks.cc).
void play_block(SceneContext& c, const CameraBlock& b);
void play_block(SceneContext& c, const SurfaceBlock& b);
void play_block(SceneContext& c, const Axes3DBlock& b);
void play_block(SceneContext& c, const Trajectories3DBlock& b);
void play_block(SceneContext& c, const Path3DBlock& b);
void play_block(SceneContext& c, const RotateBlock& b);
void play_block(SceneContext& c, const MoveCameraBlock& b);
void play_block(SceneContext& c, const Text3DBlock& b);
void play_block(SceneContext& c, const GradientSurfaceBlock& b);  // gradient_surface_block.cc

}  // namespace trajtool
