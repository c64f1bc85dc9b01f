#pragma once
// Every registered objective, one line each, in registration order. The double registry
// (registry.cc) and the LibTorch evaluation (torch_objective.cc) both iterate over this list, so a
// new objective is one header plus one line here. ("expr", the parsed formula, is handled apart.)
#include "objectives/ackley.h"
#include "objectives/beale.h"
#include "objectives/booth.h"
#include "objectives/bumpy_bowl.h"
#include "objectives/goldstein_price.h"
#include "objectives/himmelblau.h"
#include "objectives/levi13.h"
#include "objectives/matyas.h"
#include "objectives/mccormick.h"
#include "objectives/objective_list.h"
#include "objectives/quadratic.h"
#include "objectives/quadratic_1d.h"
#include "objectives/rastrigin.h"
#include "objectives/rosenbrock.h"
#include "objectives/rotated_quadratic.h"
#include "objectives/saddle.h"
#include "objectives/styblinski_tang.h"
#include "objectives/three_hump_camel.h"

namespace trajtool {

using AllObjectives = ObjectiveList<  //
    Quadratic,                        //
    RotatedQuadratic,                 //
    BumpyBowl,                        //
    Saddle,                           //
    Rosenbrock,                       //
    Beale,                            //
    Booth,                            //
    Matyas,                           //
    Himmelblau,                       //
    ThreeHumpCamel,                   //
    GoldsteinPrice,                   //
    McCormick,                        //
    Rastrigin,                        //
    Ackley,                           //
    Levi13,                           //
    StyblinskiTang,                   //
    Quadratic1d>;

}  // namespace trajtool
