/* A table that does not fit its box scrolls sideways inside .table-wrap. Such a
   box, and only such a box, becomes a region that the keyboard can reach and
   scroll, named by its table's caption (WCAG 2.1.1; axe rule
   scrollable-region-focusable), and is marked so that CSS shows that more lies
   to the side. Checked again when the window changes size. Nothing is needed
   for reading: without script the box still scrolls by touch and mouse. */
(function () {
  "use strict";

  function name(wrap) {
    var caption = wrap.querySelector("caption");
    var text = caption ? caption.textContent.replace(/\s+/g, " ").trim() : "";
    return text || wrap.getAttribute("data-region-label") || document.title;
  }

  function mark(wrap) {
    var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
    var marked = wrap.classList.contains("table-wrap--scrolls");
    if (scrolls && !marked) {
      wrap.classList.add("table-wrap--scrolls");
      if (!wrap.hasAttribute("tabindex")) wrap.setAttribute("tabindex", "0");
      if (!wrap.hasAttribute("role")) wrap.setAttribute("role", "region");
      if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
        wrap.setAttribute("aria-label", name(wrap));
      }
    } else if (!scrolls && marked) {
      wrap.classList.remove("table-wrap--scrolls");
      wrap.removeAttribute("tabindex");
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-label");
    }
  }

  function markAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".table-wrap"), mark);
  }

  var pending = null;
  function later() {
    if (pending) window.cancelAnimationFrame(pending);
    pending = window.requestAnimationFrame(function () { pending = null; markAll(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", markAll);
  } else {
    markAll();
  }
  window.addEventListener("resize", later);
  window.addEventListener("load", later);
})();
