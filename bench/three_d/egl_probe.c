// The probe behind the 3D renderer's choice (docs/scenes.md, "3D sections"): the bench's 48 x 48
// Himmelblau surface drawn by OpenGL ES 3 through Mesa's EGL (surfaceless, llvmpipe on the CPU),
// 4x MSAA with a depth buffer, resolved and read back each frame at 1280x720 as a video renderer
// must. Not part of the build; with libegl-dev libgles-dev libegl-mesa0 installed:
//   gcc -O2 bench/three_d/egl_probe.c -o /tmp/egl_probe -lEGL -lGLESv2 -lm && /tmp/egl_probe 300 4
// Measured 2026-12-01 (2 cores, load 8): 36-50 ms per frame, ~21 ms CPU per frame, 127 MB RSS,
// 44-260 ms to initialise; the frame's hash was the same in every run (deterministic).
#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES3/gl3.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char* vs = "#version 300 es\nlayout(location=0) in vec3 p; layout(location=1) in vec3 c;"
  "uniform mat4 m; out vec3 vc; void main(){ gl_Position = m * vec4(p,1.0); vc = c; }";
static const char* fs = "#version 300 es\nprecision mediump float; in vec3 vc; out vec4 o; void main(){ o = vec4(vc,1.0); }";

static GLuint shader(GLenum type, const char* src) {
  GLuint s = glCreateShader(type); glShaderSource(s, 1, &src, NULL); glCompileShader(s);
  GLint ok; glGetShaderiv(s, GL_COMPILE_STATUS, &ok); if (!ok) { char log[512]; glGetShaderInfoLog(s, 512, NULL, log); fprintf(stderr, "%s\n", log); exit(1);} return s;
}
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

int main(int argc, char** argv) {
  int W = 1280, H = 720, frames = argc > 1 ? atoi(argv[1]) : 300, samples = argc > 2 ? atoi(argv[2]) : 4;
  PFNEGLGETPLATFORMDISPLAYEXTPROC gpd = (PFNEGLGETPLATFORMDISPLAYEXTPROC)eglGetProcAddress("eglGetPlatformDisplayEXT");
  EGLDisplay d = gpd(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, NULL);
  double t_init = now();
  if (!eglInitialize(d, NULL, NULL)) { fprintf(stderr, "eglInitialize failed\n"); return 1; }
  EGLint ca[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_ES3_BIT, EGL_NONE}; EGLConfig cfg; EGLint n;
  eglChooseConfig(d, ca, &cfg, 1, &n); eglBindAPI(EGL_OPENGL_ES_API);
  EGLint cx[] = {EGL_CONTEXT_MAJOR_VERSION, 3, EGL_NONE};
  EGLContext ctx = eglCreateContext(d, cfg, EGL_NO_CONTEXT, cx);
  if (!eglMakeCurrent(d, EGL_NO_SURFACE, EGL_NO_SURFACE, ctx)) { fprintf(stderr, "makecurrent failed\n"); return 1; }
  fprintf(stderr, "renderer: %s, init %.0f ms\n", glGetString(GL_RENDERER), (now() - t_init) * 1e3);
  GLuint fbo, rb[2], fbo2, tex; glGenFramebuffers(1, &fbo); glGenRenderbuffers(2, rb);
  glBindRenderbuffer(GL_RENDERBUFFER, rb[0]); glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, GL_RGBA8, W, H);
  glBindRenderbuffer(GL_RENDERBUFFER, rb[1]); glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, GL_DEPTH_COMPONENT24, W, H);
  glBindFramebuffer(GL_FRAMEBUFFER, fbo); glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER, rb[0]);
  glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, rb[1]);
  glGenFramebuffers(1, &fbo2); glGenTextures(1, &tex); glBindTexture(GL_TEXTURE_2D, tex);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, W, H, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
  glBindFramebuffer(GL_FRAMEBUFFER, fbo2); glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, tex, 0);
  GLuint prog = glCreateProgram(); glAttachShader(prog, shader(GL_VERTEX_SHADER, vs)); glAttachShader(prog, shader(GL_FRAGMENT_SHADER, fs)); glLinkProgram(prog); glUseProgram(prog);
  const int N = 48; float* v = malloc(sizeof(float) * 6 * N * N); unsigned* idx = malloc(sizeof(unsigned) * 6 * (N - 1) * (N - 1)); int k = 0;
  for (int j = 0; j < N; ++j) for (int i = 0; i < N; ++i) {
    float x = -5 + 10.0f * i / (N - 1), y = -5 + 10.0f * j / (N - 1);
    float f = (x * x + y - 11) * (x * x + y - 11) + (x + y * y - 7) * (x + y * y - 7);
    float t = f / 890.0f; float* p = v + 6 * (j * N + i);
    p[0] = x * 0.3f; p[1] = y * 0.3f; p[2] = t * 1.5f - 0.75f; p[3] = 0.27f + t; p[4] = 0.1f + 0.8f * t; p[5] = 0.5f - 0.3f * t;
  }
  for (int j = 0; j < N - 1; ++j) for (int i = 0; i < N - 1; ++i) { unsigned a = j * N + i, b = a + 1, c = a + N, dd = c + 1;
    idx[k++] = a; idx[k++] = b; idx[k++] = dd; idx[k++] = a; idx[k++] = dd; idx[k++] = c; }
  GLuint vb, ib; glGenBuffers(1, &vb); glBindBuffer(GL_ARRAY_BUFFER, vb); glBufferData(GL_ARRAY_BUFFER, sizeof(float) * 6 * N * N, v, GL_STATIC_DRAW);
  glGenBuffers(1, &ib); glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, ib); glBufferData(GL_ELEMENT_ARRAY_BUFFER, sizeof(unsigned) * k, idx, GL_STATIC_DRAW);
  glEnableVertexAttribArray(0); glVertexAttribPointer(0, 3, GL_FLOAT, GL_FALSE, 24, (void*)0);
  glEnableVertexAttribArray(1); glVertexAttribPointer(1, 3, GL_FLOAT, GL_FALSE, 24, (void*)12);
  glEnable(GL_DEPTH_TEST); glViewport(0, 0, W, H);
  unsigned char* pixels = malloc(W * H * 4); GLint loc = glGetUniformLocation(prog, "m");
  unsigned long long hash_mid = 0; double t0 = now();
  for (int fr = 0; fr < frames; ++fr) {
    float th = (-120 + 90.0f * fr / frames) * 3.14159f / 180, ph = 60 * 3.14159f / 180;
    float r[3] = {-sinf(th), cosf(th), 0}, u[3] = {-cosf(ph) * cosf(th), -cosf(ph) * sinf(th), sinf(ph)}, w[3] = {sinf(ph) * cosf(th), sinf(ph) * sinf(th), cosf(ph)};
    float s = 0.25f, a = (float)H / W;
    float m[16] = {r[0] * s * a, u[0] * s, -w[0] * 0.1f, 0, r[1] * s * a, u[1] * s, -w[1] * 0.1f, 0, r[2] * s * a, u[2] * s, -w[2] * 0.1f, 0, 0, 0, 0, 1};
    glUniformMatrix4fv(loc, 1, GL_FALSE, m);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo); glClearColor(0.06f, 0.06f, 0.08f, 1); glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    glDrawElements(GL_TRIANGLES, k, GL_UNSIGNED_INT, 0);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, fbo); glBindFramebuffer(GL_DRAW_FRAMEBUFFER, fbo2);
    glBlitFramebuffer(0, 0, W, H, 0, 0, W, H, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, fbo2); glReadPixels(0, 0, W, H, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
    if (fr == frames / 2) { int lit = 0; for (int q = 0; q < W * H; ++q) lit += pixels[4 * q] > 40; fprintf(stderr, "lit pixels %d\n", lit); for (int q = 0; q < W * H * 4; ++q) hash_mid = hash_mid * 1099511628211ULL + pixels[q]; }
  }
  double dt = now() - t0;
  printf("%d frames %dx%d msaa %d: %.2f ms/frame; mid-frame hash %llx\n", frames, W, H, samples, dt * 1e3 / frames, hash_mid);
  return 0;
}
